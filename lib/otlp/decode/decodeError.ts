/** Why an OTLP body could not be read: answered 400 and never retried by clients. */
import { FaultlineError } from '../../errors';

export class OtlpDecodeError extends FaultlineError {
  constructor(message: string) {
    super('FAULTLINE_ERR_OTLP_DECODE', 400, message);
  }
}
