import type { MethodHandlers } from '../ipc';
import type { ConnectionsService } from './connections-service';

export type ConnectionsHandlers = Pick<
  MethodHandlers,
  | 'connections.list'
  | 'connections.save'
  | 'connections.delete'
  | 'connections.realms'
  | 'connections.test'
  | 'connections.connect'
  | 'connections.secondFactor'
  | 'connections.disconnect'
  | 'connections.trustCertificate'
  | 'connections.reviewCertificate'
  | 'connections.permissions'
  | 'connections.testSsh'
  | 'connections.export'
  | 'connections.previewImport'
  | 'connections.applyImport'
>;

export function connectionsHandlers(connections: ConnectionsService): ConnectionsHandlers {
  return {
    'connections.list': () => connections.list(),
    'connections.save': ({ id, fields, secrets }) => connections.save(id, fields, secrets),
    'connections.delete': ({ id }) => connections.delete(id),
    'connections.realms': ({ endpoint }) => connections.realms(endpoint),
    'connections.test': ({ id, fields, secrets }) => connections.test(id, fields, secrets),
    'connections.connect': ({ id, password, remember }) => connections.connect(id, password, remember),
    'connections.secondFactor': ({ id, answer }) => connections.secondFactor(id, answer),
    'connections.disconnect': ({ id }) => connections.disconnect(id),
    'connections.trustCertificate': ({ id, questionId }) => connections.trustCertificate(id, questionId),
    'connections.reviewCertificate': ({ id, endpointIndex }) => connections.reviewCertificate(id, endpointIndex),
    'connections.permissions': ({ id }) => connections.permissions(id),
    'connections.testSsh': ({ id, node }) => connections.testSsh(id, node),
    'connections.export': ({ ids }) => connections.exportProfiles(ids),
    'connections.previewImport': ({ content }) => connections.previewImport(content),
    'connections.applyImport': ({ planId, choices }) => connections.applyImport(planId, choices),
  };
}
