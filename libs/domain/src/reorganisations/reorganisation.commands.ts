import { ReorganisationDecided } from './reorganisation.events';

export type DecideReorganisation = { type: 'DecideReorganisation' } & ReorganisationDecided['data'];
export interface RecordReorganisationProgress {
  type: 'RecordReorganisationProgress';
  stepsDone: number;
}
export interface CompleteReorganisation {
  type: 'CompleteReorganisation';
  now: string;
}

export type ReorganisationCommand = DecideReorganisation | RecordReorganisationProgress | CompleteReorganisation;
