import { Injectable, PipeTransform, ArgumentMetadata } from '@nestjs/common';
import { isId } from '@app/domain';
import { problem, ProblemException } from './problem';

/** Path ids are validated like body ids: a malformed one is a 400, never a lookup. */
@Injectable()
export class IdParamPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isId(value)) {
      const field = `path:${metadata.data ?? 'id'}`;
      throw new ProblemException(
        problem(400, 'VALIDATION_FAILED', `${field} is not a valid id`, { errors: [{ field, message: 'must be an id of 1–64 ASCII letters, digits, ".", "_" or "-", starting with an ASCII letter or digit' }] }),
      );
    }
    return value;
  }
}
