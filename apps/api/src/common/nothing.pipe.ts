import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ProblemException } from './problem';
import { validationProblem } from './problem.filter';

/** For routes that take no body or no query parameters: anything sent is refused, like any unknown field. */
@Injectable()
export class NothingPipe implements PipeTransform<unknown, undefined> {
  transform(value: unknown, metadata: ArgumentMetadata): undefined {
    const fields = value && typeof value === 'object' ? Object.keys(value) : [];
    if (fields.length > 0 || (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value)))) {
      const where = metadata.type === 'query' ? 'query' : 'body';
      throw new ProblemException(validationProblem((fields.length ? fields : ['(body)']).map((field) => ({ field, message: `unknown field: this route takes no ${where}` }))));
    }
    return undefined;
  }
}
