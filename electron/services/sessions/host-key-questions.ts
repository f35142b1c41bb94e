import { randomBytes } from 'node:crypto';
import type { HostKeyQuestion } from '../../../shared/domain/connections';
import type { EventHub } from '../ipc';

const defaultAnswerTimeoutMs = 120_000;

/**
 * Unknown SSH host keys go to the renderer as questions; the first answer
 * from any window wins. Nobody answering in time counts as a refusal: the
 * connection must not hang, nor trust a key nobody looked at.
 */
export class HostKeyQuestions {
  private readonly pending = new Map<string, (accept: boolean) => void>();

  constructor(
    private readonly events: EventHub,
    private readonly answerTimeoutMs = defaultAnswerTimeoutMs,
  ) {}

  ask(question: Omit<HostKeyQuestion, 'questionId'>): Promise<boolean> {
    const questionId = randomBytes(16).toString('hex');
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(false), this.answerTimeoutMs);
      const settle = (accept: boolean): void => {
        clearTimeout(timer);
        this.pending.delete(questionId);
        this.events.emit('connections.hostKeyAnswered', { questionId });
        resolve(accept);
      };
      this.pending.set(questionId, settle);
      this.events.emit('connections.hostKeyQuestion', { questionId, ...question });
    });
  }

  /** False when the question was already answered or given up. */
  answer(questionId: string, accept: boolean): boolean {
    const settle = this.pending.get(questionId);
    if (settle === undefined) return false;
    settle(accept);
    return true;
  }

  /** Refuses every open question (the app is closing). */
  refuseAll(): void {
    for (const settle of [...this.pending.values()]) settle(false);
  }
}
