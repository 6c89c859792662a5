import { IsOptional } from 'class-validator';
import { IsEntityId, IsMemberNo, IsText } from '../common/validators';

/** Either `memberNo` (every initiative of a member), or `initiativeId` and `author` (a name recorded without a member number). */
export class ErasureDto {
  @IsOptional()
  @IsMemberNo()
  memberNo?: string;

  @IsOptional()
  @IsEntityId()
  initiativeId?: string;

  @IsOptional()
  @IsText(200)
  author?: string;

  /** The member's request or the decision it rests on. */
  @IsText()
  documentRef!: string;

  @IsText()
  reason!: string;
}
