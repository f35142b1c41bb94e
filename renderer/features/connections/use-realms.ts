import { onBeforeUnmount, ref, watch } from 'vue';
import { endpointSchema, type CertificateQuestion, type RealmView } from '../../../shared/domain/connections';
import { useIpc } from '../../platform/use-ipc';
import { endpointInput, type EndpointDraft } from './profile-draft';

// Long enough not to ask the cluster (or pop up a certificate) at each keystroke of a host name.
export const realmsSettleMs = 500;

/**
 * The realms of the cluster an endpoint reaches, fetched again whenever the
 * endpoint settles on something valid. A certificate question is handed to
 * the caller; once the endpoint is pinned it changes, and the realms load.
 */
export function useRealms(endpoint: () => EndpointDraft | undefined, onCertificate: (question: CertificateQuestion) => void) {
  const ipc = useIpc();
  const realms = ref<RealmView[]>([]);
  const loading = ref(false);
  const error = ref<unknown>();
  const certificateRefused = ref(false);
  let asked = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The endpoint last asked about, so a change that lands on it again does not ask twice. */
  let askedFor: string | undefined;
  const keyOf = (draft: EndpointDraft | undefined) => (draft === undefined ? undefined : JSON.stringify(endpointInput(draft)));

  async function load(): Promise<void> {
    const draft = endpoint();
    const request = ++asked;
    clearTimeout(timer);
    askedFor = keyOf(draft);
    error.value = undefined;
    certificateRefused.value = false;
    if (draft === undefined || !endpointSchema.safeParse(endpointInput(draft)).success) {
      realms.value = [];
      loading.value = false;
      return;
    }
    loading.value = true;
    try {
      const outcome = await ipc.call('connections.realms', { endpoint: endpointInput(draft) });
      if (request !== asked) return;
      realms.value = outcome.kind === 'realms' ? outcome.realms : [];
      if (outcome.kind === 'certificate') onCertificate(outcome);
    } catch (failure) {
      if (request !== asked) return;
      realms.value = [];
      error.value = failure;
    } finally {
      if (request === asked) loading.value = false;
    }
  }

  /** The user would not trust the certificate: say why the list stays empty until they try again. */
  function refuseCertificate(): void {
    certificateRefused.value = true;
  }

  watch(
    () => keyOf(endpoint()),
    (key) => {
      clearTimeout(timer);
      if (key !== askedFor) timer = setTimeout(() => void load(), realmsSettleMs);
    },
  );
  onBeforeUnmount(() => clearTimeout(timer));

  return { realms, loading, error, certificateRefused, load, refuseCertificate };
}
