// Mounting components in tests with a fake host: what every renderer test shares.
export { createFakeIpc, fakeIpc, type FakeIpc } from './fake-ipc';
export { byTestId, click, exists, mountInApp, settle, type } from './mount';
