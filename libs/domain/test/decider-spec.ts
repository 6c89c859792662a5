import { Decider, DomainError, DomainEvent, fold } from '@app/domain';

/**
 * Given/when/then for deciders:
 *   given(decider, [past events]).when(command).then([new events])
 *   given(decider, [past events]).when(command).thenFails('CODE')
 */
export function given<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, history: E[] = []) {
  return {
    when(command: C) {
      const run = () => decider.decide(command, fold(decider, history));
      return {
        then(expected: E[]): E[] {
          const events = run();
          expect(events).toEqual(expected);
          return events;
        },
        thenFails(code: string, kind?: DomainError['kind']): DomainError {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(DomainError);
          expect((caught as DomainError).code).toBe(code);
          if (kind) expect((caught as DomainError).kind).toBe(kind);
          return caught as DomainError;
        },
      };
    },
  };
}
