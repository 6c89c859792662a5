import { ReorganisationDecided, ReorganisationEvent } from './reorganisation.events';

export type ReorganisationState =
  | { status: 'none' }
  | { status: 'decided' | 'completed'; decision: ReorganisationDecided['data']; stepsDone: number };

export const initialReorganisationState = (): ReorganisationState => ({ status: 'none' });

export function evolveReorganisation(state: ReorganisationState, event: ReorganisationEvent): ReorganisationState {
  if (event.type === 'ReorganisationDecided') return { status: 'decided', decision: event.data, stepsDone: 0 };
  if (state.status === 'none') return state;
  if (event.type === 'ReorganisationProgressed') return { ...state, stepsDone: Math.max(state.stepsDone, event.data.stepsDone) };
  return { ...state, status: 'completed', stepsDone: event.data.stepsDone };
}
