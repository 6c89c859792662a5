import { Page } from '../store/page';
import { UnitDoc } from './unit-doc';

/** The units' read model, as queries see it. */
export interface UnitQueries {
  unit(unitId: string): Promise<UnitDoc | null>;
  children(unitId: string, limit: number, cursor?: string): Promise<Page<UnitDoc>>;
}
