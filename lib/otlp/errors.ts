/** Why an OTLP body could not be read: answered 400 and never retried by clients. */
export class OtlpDecodeError extends Error {
  readonly code = 'FAULTLINE_ERR_OTLP_DECODE';
  readonly status = 400;
}
