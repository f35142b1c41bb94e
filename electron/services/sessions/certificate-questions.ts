import type { CertificateQuestion, EndpointSetting } from '../../../shared/domain/connections';
import type { CertificateInfo } from '../../../shared/domain/certificate';
import { IssuedItems } from '../ipc';
import { endpointLabel, isPveError } from '../pve';

/** A certificate question is answered within minutes, if at all; a few dozen open ones is plenty. */
const certificateQuestionLimits = { maxItems: 64, ttlMs: 10 * 60_000 };

/** What the main process asked the user about: the one certificate a later "trust" may then pin. */
export interface IssuedCertificateQuestion {
  /** Absent for a question about settings not saved yet (the add dialog pins in its own draft). */
  profileId?: string;
  endpointIndex: number;
  endpoint: string;
  fingerprint: string;
}

/**
 * Unknown certificates become questions for the user, each known by an id
 * this process issued: the renderer names the question it answers and can
 * never bring a fingerprint of its own.
 */
export class CertificateQuestions {
  private readonly issued = new IssuedItems<IssuedCertificateQuestion>(certificateQuestionLimits);

  /** An unknown certificate is a question for the user, not a failure; anything else is rethrown. */
  questionOr(error: unknown, endpoints: readonly EndpointSetting[], profileId?: string): CertificateQuestion {
    if (!isPveError(error, 'TLS_UNTRUSTED') || error.details.certificate === undefined) throw error;
    const endpointIndex = Math.max(
      0,
      endpoints.findIndex((endpoint) => endpointLabel(endpoint) === error.details.endpoint),
    );
    return this.ask({ endpointIndex, endpoint: error.details.endpoint, ...(profileId !== undefined ? { profileId } : {}) }, error.details.certificate);
  }

  ask(about: Omit<IssuedCertificateQuestion, 'fingerprint'>, certificate: CertificateInfo): CertificateQuestion {
    const questionId = this.issued.issue({ ...about, fingerprint: certificate.fingerprint256 });
    return { kind: 'certificate', questionId, endpointIndex: about.endpointIndex, endpoint: about.endpoint, certificate };
  }

  /** The question, once: a second answer to it finds nothing. */
  take(questionId: string): IssuedCertificateQuestion | undefined {
    return this.issued.take(questionId);
  }
}
