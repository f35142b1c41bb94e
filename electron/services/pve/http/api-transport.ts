import { sentenceOfError, type Sentence } from '../../../../shared/text/sentence';
import type { Logger } from '../../log';
import type { ApiCall } from '../api/api-call';
import { endpointLabel, type PveEndpoint } from '../endpoint';
import type { EndpointPool } from '../endpoint-pool';
import { PveError, type FailedAttempt } from '../errors';
import { probeCertificate } from '../tls/probe-certificate';
import { ConnectFailedError, TlsMismatchError, TlsUntrustedError } from '../tls/tls-errors';
import { ExchangeFailedError, exchange, type HttpAnswer, type HttpRequest } from './exchange';
import { encodeForm } from './form';
import { interpretAnswer, isProxyUnreachableStatus } from './interpret-answer';

const apiPrefix = '/api2/json';

export interface CallLimits {
  signal?: AbortSignal;
  /** For this call instead of the client's default. */
  timeoutMs?: number;
}

/** An attempt that did not reach PVE, and whether the next endpoint may be tried; `reason`'s English is what details and logs keep. */
type AttemptOutcome = { kind: 'answer'; answer: HttpAnswer } | { kind: 'next'; reason: Sentence };

function buildRequest(call: ApiCall<unknown>, headers: Record<string, string>): HttpRequest {
  const query = call.query === undefined ? '' : encodeForm(call.query);
  const path = `${apiPrefix}${call.path}${query.length > 0 ? `?${query}` : ''}`;
  if (call.form === undefined) return { method: call.method, path, headers };
  return {
    method: call.method,
    path,
    headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: encodeForm(call.form),
  };
}

function cancelled(): PveError<'CANCELLED'> {
  return new PveError('CANCELLED', { en: 'The request was cancelled.', fr: 'La requête a été annulée.' }, {});
}

/**
 * Sends typed calls to the cluster: picks the endpoint, fails over to the
 * next one when an endpoint cannot be reached, and turns every failure into a
 * PveError. TLS refusals stop at once and are never failed over: quietly
 * moving on would hide a certificate that changed, the one thing the user
 * must see.
 */
export class ApiTransport {
  constructor(
    private readonly pool: EndpointPool,
    private readonly options: { timeoutMs: number; logger: Logger },
  ) {}

  async send<T>(call: ApiCall<T>, headers: Record<string, string>, limits: CallLimits = {}): Promise<T> {
    return (await this.sendAt(call, headers, limits)).value;
  }

  /** `send`, also answering the endpoint that answered: console tickets are valid only on that host. */
  async sendAt<T>(call: ApiCall<T>, headers: Record<string, string>, limits: CallLimits = {}): Promise<{ value: T; endpoint: PveEndpoint }> {
    const request = buildRequest(call, headers);
    const failures: { endpoint: string; reason: Sentence }[] = [];
    for (const endpoint of this.pool.attemptOrder()) {
      const outcome = await this.attempt(endpoint, request, call.name, limits);
      if (outcome.kind === 'next') {
        failures.push({ endpoint: endpointLabel(endpoint), reason: outcome.reason });
        this.options.logger.warn('pve.endpoint-failed', { endpoint: endpointLabel(endpoint), call: call.name, reason: outcome.reason.en });
        continue;
      }
      this.pool.markWorking(endpoint);
      return { value: interpretAnswer(call, outcome.answer, endpointLabel(endpoint)), endpoint };
    }
    const tried: FailedAttempt[] = failures.map(({ endpoint, reason }) => ({ endpoint, reason: reason.en }));
    const list = (language: keyof Sentence): string => failures.map(({ endpoint, reason }) => `${endpoint} (${reason[language]})`).join(', ');
    throw new PveError(
      'UNREACHABLE',
      {
        en: `No endpoint of the cluster answered ${call.name}: ${list('en')}. Check the network and that the nodes are up, or add another endpoint of the cluster.`,
        fr: `Aucune adresse du cluster n’a répondu à ${call.name} : ${list('fr')}. Vérifiez le réseau et que les nœuds sont démarrés, ou ajoutez une autre adresse du cluster.`,
      },
      { tried },
    );
  }

  private async attempt(endpoint: PveEndpoint, request: HttpRequest, callName: string, limits: CallLimits): Promise<AttemptOutcome> {
    const agent = this.pool.agentFor(endpoint);
    const timeoutMs = limits.timeoutMs ?? this.options.timeoutMs;
    const exchangeLimits = { timeoutMs, ...(limits.signal !== undefined ? { signal: limits.signal } : {}) };
    for (let retriedStaleSocket = false; ; retriedStaleSocket = true) {
      try {
        const answer = await exchange(endpoint, agent, request, exchangeLimits);
        if (isProxyUnreachableStatus(answer.status)) {
          return {
            kind: 'next',
            reason: { en: `answered ${answer.status} ${answer.statusMessage}`.trim(), fr: `a répondu ${answer.status} ${answer.statusMessage}`.trim() },
          };
        }
        return { kind: 'answer', answer };
      } catch (error) {
        // A kept-alive socket the server closed while idle fails at once, before
        // the server read anything: retry once on a fresh connection.
        const stale = error instanceof ExchangeFailedError && error.reusedSocket && !error.responseStarted && error.reason === 'network';
        if (stale && !retriedStaleSocket && request.method === 'GET') continue;
        return await this.classifyFailure(endpoint, request.method, callName, error, timeoutMs, limits.signal);
      }
    }
  }

  private async classifyFailure(
    endpoint: PveEndpoint,
    method: HttpRequest['method'],
    callName: string,
    error: unknown,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<AttemptOutcome> {
    const label = endpointLabel(endpoint);
    if (signal?.aborted === true) throw cancelled();
    if (error instanceof TlsMismatchError) {
      throw new PveError('TLS_MISMATCH', sentenceOfError(error), { endpoint: label, expected: error.expected, actual: error.actual });
    }
    if (error instanceof TlsUntrustedError) {
      const certificate = await probeCertificate({ host: endpoint.host, port: endpoint.port, timeoutMs: 5_000 }).catch(() => undefined);
      throw new PveError('TLS_UNTRUSTED', sentenceOfError(error), {
        endpoint: label,
        reason: error.reason,
        ...(certificate !== undefined ? { certificate } : {}),
      });
    }
    if (error instanceof ConnectFailedError) return { kind: 'next', reason: error.detail };
    if (error instanceof ExchangeFailedError) {
      if (error.reason === 'cancelled') throw cancelled();
      if (!error.connected) {
        const reason: Sentence =
          error.reason === 'timeout'
            ? { en: 'timed out connecting', fr: 'délai de connexion dépassé' }
            : { en: 'could not connect', fr: 'connexion impossible' };
        return { kind: 'next', reason };
      }
      if (error.reason === 'timeout') {
        const seconds = Math.round(timeoutMs / 1000);
        throw new PveError(
          'TIMEOUT',
          {
            en: `${label} did not answer within ${seconds} s. The node may be overloaded; try again later.`,
            fr: `${label} n’a pas répondu en ${seconds} s. Le nœud est peut-être surchargé ; réessayez plus tard.`,
          },
          { endpoint: label, timeoutMs },
        );
      }
      if (error.reason === 'too-large') {
        throw new PveError(
          'BAD_RESPONSE',
          {
            en: `${label} sent an answer larger than the app accepts.`,
            fr: `${label} a envoyé une réponse plus volumineuse que ce que l’application accepte.`,
          },
          { call: callName, problem: 'answer too large' },
        );
      }
      // Reads may safely go elsewhere; a write that broke mid-way may or may not have run.
      if (method === 'GET') {
        const code = error.code !== undefined ? ` (${error.code})` : '';
        return { kind: 'next', reason: { en: `connection broke${code}`, fr: `connexion interrompue${code}` } };
      }
      throw new PveError(
        'UNREACHABLE',
        {
          en: `The connection to ${label} broke after the request was sent; the operation may or may not have been carried out. Check its state before trying again.`,
          fr: `La connexion à ${label} a été interrompue après l’envoi de la requête ; l’opération a pu être effectuée ou non. Vérifiez son état avant de réessayer.`,
        },
        { tried: [{ endpoint: label, reason: 'connection broke after sending' }] },
      );
    }
    throw error;
  }
}
