/**
 * A component that did its job but found the data or model not good enough to go on (anomalies,
 * not blessed). Its outputs are published so the user can see why; the run fails with exit code 1
 * and later components do not start.
 */
export class GateFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GateFailure';
  }
}
