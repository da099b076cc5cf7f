/**
 * The port this process's collector listens on, for the dashboard's routes (bundled apart by Next.js)
 * to tell users where to send OTLP: with `FAULTLINE_OTLP_PORT=0` it is only known once bound.
 */
const otlpPortKey = Symbol.for('faultline.otlpPort');

type OtlpPortSlot = { [otlpPortKey]?: number };

const slot = globalThis as OtlpPortSlot;

export function setListeningOtlpPort(port: number): void {
  slot[otlpPortKey] = port;
}

/** Undefined when the collector runs in another process. */
export function listeningOtlpPort(): number | undefined {
  return slot[otlpPortKey];
}
