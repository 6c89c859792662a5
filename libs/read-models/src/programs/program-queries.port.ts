import { ProgramDoc } from './program-doc';

/** The programmes' read model, as queries see it. */
export interface ProgramQueries {
  program(programId: string): Promise<ProgramDoc | null>;
}
