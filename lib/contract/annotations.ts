/** The chart markers' answer (`/api/annotations`): changes worth seeing beside the curves, such as a demo fault flag switched on. */
export type Annotation = {
  timeMs: number;
  /** The service that recorded it. */
  service: string;
  /** What changed, e.g. `inventoryFailure on`. */
  text: string;
};

export type Annotations = { annotations: Annotation[] };

/** The log record attribute that makes a log record an annotation (docs/resilience-telemetry.md). */
export const annotationAttribute = 'faultline.annotation';
