/** Test helpers of the PVE client that other folders' tests use: a fake PVE over HTTPS and its certificate. */
export { FakePve, type FakeAnswer, type RecordedRequest } from './fake-pve';
export { makeSelfSignedCertificate, type TestCertificate } from './test-certificate';
