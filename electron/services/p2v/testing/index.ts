/** What P2V's lab tests and the P2V bench share: test disks and images of every format, leftovers seen from outside, a metered link, a crashing app. */
export { craftedRawImage, expectIdentical, imageKinds, makeImage, type ImageFixture, type ImageKind } from './image-fixtures';
export { acceptHostKeys, connectP2vProfile, connectSaved } from './lab-profile';
export { clusterLeftovers, nodeOutput, nodePathExists, nodeStorageEntries } from './leftovers';
export { startMeteredProxy, type MeteredProxy } from './metered-proxy';
export { startMigrationChild, type MigrationChild, type MigrationChildOrders } from './migration-child-process';
export { MiB, scatteredExtents, spreadExtents, writeTestDisk, type Extent, type TestDisk } from './test-disk';
