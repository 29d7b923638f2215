import { randomBytes } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { loadModel } from '../model/package';
import type { Prediction } from '../model/types';
import type { RawRow } from '../transform/types';
import { isUserError } from '../util/problems';
import { bearerCheck } from './access';
import type { ServeEvent } from './events';
import { feedbackRecords } from './feedback';
import { checkJsonContentType, HttpError, parseJsonBody, readBody, sendJson, sendText } from './http';
import type { InputSchema } from './inputs';
import type { ServedRecord } from './log';
import { METRICS_CONTENT_TYPE, ServeMetrics } from './metrics';
import { mlflowRows } from './mlflow';
import { inferRequest, modelMetadata, selectOutputs } from './openInference';
import { predictionColumns, predictionRows, predictionTensors } from './outputs';
import { RequestLog } from './requestLog';
import { route, type Endpoint, type Route } from './routes';
import type { Lease } from './servedVersion';
import { trafficBetween } from './traffic';
import { listenError, serverSettings, type ModelServerOptions, type ServerSettings } from './startup';
import { tfServingMetadata, tfServingRequest, tfServingStatus } from './tfServing';
import { ModelVersions, type VersionStatus } from './versions';

/** Endpoints a load balancer or orchestrator probes: answered without a token, they reveal nothing. */
const OPEN: ReadonlySet<Endpoint> = new Set(['v2_live', 'v2_ready', 'mlflow_health']);

/**
 * The local prediction server: one model's serving folder behind TF Serving's REST API, the Open
 * Inference Protocol (v2) and MLflow's `/invocations`, with hot swap (ModelVersions), request
 * checks against the signature, a sampled request log and Prometheus metrics.
 */
export class ModelServer {
  private readonly o: ServerSettings;
  private readonly metrics = new ServeMetrics();
  private readonly versions: ModelVersions;
  private readonly log: RequestLog | undefined;
  private readonly authorize: ((req: IncomingMessage) => void) | undefined;
  private readonly http: Server;
  private readonly requestPrefix = randomBytes(4).toString('hex');
  /** The response each connection is writing, until it finishes: a client error must not write over it. */
  private readonly responding = new WeakMap<Socket, ServerResponse>();
  private requestCount = 0;
  private loadFailures = 0;
  private poll: NodeJS.Timeout | undefined;
  private trafficTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private address = { host: '', port: 0 };

  private constructor(options: ModelServerOptions) {
    this.o = serverSettings(options);
    const onEvent = options.onEvent ?? (() => undefined);
    const report = (event: ServeEvent) => {
      if (event.kind === 'load-failed') this.loadFailures++;
      onEvent(event);
    };
    this.versions = new ModelVersions({
      dir: this.o.dir,
      model: this.o.model,
      load: this.o.load ?? ((dir) => loadModel(dir)),
      keepIdleMs: this.o.keepIdleMs,
      maxBatchRows: this.o.maxBatchRows,
      onEvent: report,
      now: () => performance.now(),
    });
    this.log =
      this.o.logDir === undefined
        ? undefined
        : new RequestLog({
            dir: this.o.logDir,
            model: this.o.model,
            sampleRate: this.o.sampleRate,
            flushMs: this.o.logFlushMs,
            maxBuffered: 100_000,
            random: this.o.random ?? Math.random,
            onError: (error) => report({ kind: 'log-error', error }),
          });
    this.authorize = this.o.token ? bearerCheck(this.o.token) : undefined;
    this.http = createServer(
      {
        headersTimeout: this.o.headersTimeoutMs,
        requestTimeout: this.o.requestTimeoutMs,
        // How often those two are checked: Node's default (30 s) would let a slow client hold on far longer.
        connectionsCheckingInterval: Math.max(10, Math.min(1000, this.o.headersTimeoutMs / 4)),
      },
      (req, res) => {
        this.responding.set(req.socket, res);
        res.once('finish', () => {
          if (this.responding.get(req.socket) === res) this.responding.delete(req.socket);
        });
        void this.handle(req, res);
      },
    );
    this.http.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => this.clientError(error, socket));
  }

  /**
   * Checks the options, loads what the folder's default points at (a failure is reported and
   * served as 503s while the server waits for a good version), then listens. A port in use or an
   * address this machine does not have is a UserError.
   */
  static async start(options: ModelServerOptions): Promise<ModelServer> {
    const server = new ModelServer(options);
    await server.versions.refresh();
    try {
      await server.listen();
    } catch (e) {
      await server.versions.close();
      await server.log?.close();
      throw e;
    }
    server.poll = setInterval(() => void server.versions.refresh(), server.o.pollMs);
    if (server.o.trafficEveryMs) server.reportTraffic(server.o.trafficEveryMs);
    return server;
  }

  private listen(): Promise<void> {
    const { host, port } = this.o;
    return new Promise((resolve, reject) => {
      const failed = (e: NodeJS.ErrnoException) => reject(listenError(e, host, port));
      this.http.once('error', failed);
      this.http.listen(port, host, () => {
        this.http.off('error', failed);
        const address = this.http.address();
        this.address = typeof address === 'object' && address ? { host, port: address.port } : { host, port };
        resolve();
      });
    });
  }

  get port(): number {
    return this.address.port;
  }

  get url(): string {
    const host = this.address.host.includes(':') ? `[${this.address.host}]` : this.address.host;
    return `http://${host}:${this.address.port}`;
  }

  get model(): string {
    return this.o.model;
  }

  /** The version un-versioned requests get (undefined while none could be loaded). */
  get defaultVersion(): number | undefined {
    return this.versions.defaultVersion;
  }

  /** Status of every version in the folder or loaded, newest first. */
  status(): VersionStatus[] {
    return this.versions.statuses();
  }

  /** Reads the serving folder now rather than at the next poll. */
  refresh(): Promise<void> {
    return this.versions.refresh();
  }

  /**
   * Stops taking connections, lets in-flight requests finish (cut after `closeTimeoutMs`), then
   * disposes the models and flushes the request log.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.poll);
      clearInterval(this.trafficTimer);
      const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
      // Keep-alive connections whose request was in flight go idle once answered: close them then.
      const idle = setInterval(() => this.http.closeIdleConnections(), 100);
      const deadline = setTimeout(() => this.http.closeAllConnections(), this.o.closeTimeoutMs);
      await closed;
      clearInterval(idle);
      clearTimeout(deadline);
      await this.versions.close();
      await this.log?.close();
    })();
    return this.closing;
  }

  private reportTraffic(everyMs: number): void {
    let before = this.metrics.trafficCounters(Date.now());
    this.trafficTimer = setInterval(() => {
      const after = this.metrics.trafficCounters(Date.now());
      this.o.onEvent?.({ kind: 'traffic', version: this.defaultVersion ?? null, ...trafficBetween(before, after) });
      before = after;
    }, everyMs);
    this.trafficTimer.unref();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = `${this.requestPrefix}-${(++this.requestCount).toString(36)}`;
    res.setHeader('x-request-id', requestId);
    // A connection kept alive past close would hold the server open until the client lets go.
    if (this.closing) res.setHeader('connection', 'close');
    let endpoint = 'unknown';
    let status: number;
    try {
      const r = route(req.method ?? 'GET', (req.url ?? '/').split('?', 1)[0]);
      endpoint = r.endpoint;
      if (this.authorize && !OPEN.has(r.endpoint)) this.authorize(req);
      if (r.model !== undefined && r.model !== this.o.model) {
        throw new HttpError(404, `there is no model '${r.model}' here; this server serves '${this.o.model}'`);
      }
      status = await this.dispatch(r, req, res, requestId, started);
    } catch (e) {
      status = this.fail(res, e);
    }
    this.metrics.observe(endpoint, status, (performance.now() - started) / 1000);
  }

  private async dispatch(r: Route, req: IncomingMessage, res: ServerResponse, requestId: string, started: number): Promise<number> {
    const name = this.o.model;
    switch (r.endpoint) {
      case 'tfserving_predict':
        return this.predict(r, req, res, requestId, started, (body, schema) => {
          const request = tfServingRequest(body, schema, this.o.maxRows);
          return {
            rows: request.rows,
            respond: (lease, predictions, ids) =>
              request.columnar
                ? { outputs: predictionColumns(lease.model.manifest, predictions, ids) }
                : { predictions: predictionRows(lease.model.manifest, predictions, ids) },
          };
        });
      case 'v2_infer':
        return this.predict(r, req, res, requestId, started, (body, schema) => {
          const request = inferRequest(body, schema, this.o.maxRows);
          return {
            rows: request.rows,
            respond: (lease, predictions, ids) => ({
              model_name: name,
              model_version: String(lease.version),
              id: request.id ?? requestId,
              outputs: selectOutputs(predictionTensors(lease.model.manifest, predictions, ids), request.outputs),
            }),
          };
        });
      case 'mlflow_invocations':
        return this.predict(r, req, res, requestId, started, (body, schema) => ({
          rows: mlflowRows(body, schema, this.o.maxRows),
          respond: (lease, predictions, ids) => ({ predictions: predictionRows(lease.model.manifest, predictions, ids) }),
        }));
      case 'feedback':
        return this.feedback(req, res);
      case 'tfserving_status':
        return ok(res, tfServingStatus(this.versions.statuses(r.ref.kind === 'default' ? undefined : r.ref)));
      case 'tfserving_metadata': {
        const { version, model } = await this.versions.describe(r.ref);
        return ok(res, tfServingMetadata(name, version, model));
      }
      case 'v2_model': {
        const { version, model } = await this.versions.describe(r.ref);
        const versions = r.ref.kind === 'default' ? this.versions.statuses().map((s) => s.version) : [version];
        return ok(res, modelMetadata(name, versions, model));
      }
      case 'v2_model_ready': {
        const [s] = this.versions.statuses(r.ref);
        const ready = s.state === 'AVAILABLE';
        sendJson(res, ready ? 200 : 503, { name, version: String(s.version), ready });
        return ready ? 200 : 503;
      }
      case 'v2_live':
        return ok(res, { live: true });
      case 'v2_ready':
      case 'mlflow_health': {
        const ready = this.versions.ready;
        sendJson(res, ready ? 200 : 503, r.endpoint === 'v2_ready' ? { ready } : { status: ready ? 'ok' : 'no model version is loaded' });
        return ready ? 200 : 503;
      }
      case 'v2_server':
        return ok(res, { name: 'mlops', version: this.o.serverVersion ?? '', extensions: [] });
      case 'metrics':
        sendText(
          res,
          200,
          this.metrics.render({
            model: name,
            defaultVersion: this.versions.defaultVersion,
            loaded: this.versions.loaded,
            swaps: this.versions.swaps,
            loadFailures: this.loadFailures,
            logDropped: this.log?.dropped ?? 0,
          }),
          METRICS_CONTENT_TYPE,
        );
        return 200;
    }
  }

  /**
   * One prediction request: the body is read and parsed before a version is held (a slow upload
   * holds nothing), checked against that version's signature, predicted with the rows of
   * concurrent requests, answered, and logged after the answer.
   */
  private async predict(
    r: Route,
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    started: number,
    parse: (body: unknown, schema: InputSchema) => { rows: RawRow[]; respond(lease: Lease, predictions: Prediction[], ids: string[]): unknown },
  ): Promise<number> {
    checkJsonContentType(req);
    const body = parseJsonBody(await readBody(req, this.o.maxBodyBytes));
    const lease = await this.versions.acquire(r.ref);
    try {
      const request = parse(body, lease.schema);
      const predictions = await lease.predict(request.rows);
      const ids = request.rows.length === 1 ? [requestId] : request.rows.map((_, i) => `${requestId}/${i}`);
      sendJson(res, 200, request.respond(lease, predictions, ids), { 'x-model-version': String(lease.version) });
      this.metrics.predicted(lease.version, request.rows.length);
      this.logServed(lease.version, request.rows, predictions, ids, performance.now() - started);
      return 200;
    } finally {
      lease.release();
    }
  }

  private logServed(version: number, rows: readonly RawRow[], predictions: readonly Prediction[], ids: readonly string[], latencyMs: number): void {
    const log = this.log;
    if (!log?.wantsRows) return;
    const at = Date.now();
    const records: ServedRecord[] = [];
    for (let i = 0; i < rows.length; i++) {
      if (!log.sampled()) continue;
      const p = predictions[i];
      const record: ServedRecord = { id: ids[i], at, model: this.o.model, version, inputs: rows[i] as ServedRecord['inputs'], score: p.score, latencyMs };
      if (p.label !== undefined) record.label = p.label;
      records.push(record);
    }
    if (records.length) log.served(records);
  }

  private async feedback(req: IncomingMessage, res: ServerResponse): Promise<number> {
    checkJsonContentType(req);
    const body = parseJsonBody(await readBody(req, this.o.maxBodyBytes));
    const records = feedbackRecords(body, this.o.maxRows, Date.now());
    if (!this.log) throw new HttpError(503, 'this server keeps no log (it was started without a log folder), so feedback cannot be recorded');
    this.log.feedbackReceived(records);
    return ok(res, { accepted: records.length });
  }

  private fail(res: ServerResponse, e: unknown): number {
    let status = 500;
    let message: string;
    let headers: Record<string, string> = {};
    if (e instanceof HttpError) {
      status = e.status;
      message = e.message;
      headers = e.headers;
    } else if (isUserError(e)) {
      // A value only the transform refused: the request's mistake.
      status = 400;
      message = e.problems.map((p) => p.message).join('; ');
    } else {
      message = `internal error: ${(e as Error)?.message ?? String(e)}`;
      this.o.onEvent?.({ kind: 'request-error', error: (e as Error)?.stack ?? String(e) });
    }
    if (res.headersSent) res.destroy();
    else sendJson(res, status, { error: message }, headers);
    return status;
  }

  /** Node's own refusals (a slow client, malformed HTTP) answered as JSON like every other error. */
  private clientError(error: NodeJS.ErrnoException, socket: Socket): void {
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const pending = this.responding.get(socket);
    if (error.code !== 'ECONNRESET' && socket.writable && !pending?.headersSent) {
      const message =
        status === 408
          ? `the request was not received in time (headers within ${this.o.headersTimeoutMs} ms, the whole request within ${this.o.requestTimeoutMs} ms)`
          : status === 431
            ? 'the request headers are too large'
            : `the request is not valid HTTP (${error.code ?? error.message})`;
      const body = JSON.stringify({ error: message });
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      this.metrics.observe('client_error', status, 0);
    }
    socket.destroySoon();
  }
}

function ok(res: ServerResponse, body: unknown): number {
  sendJson(res, 200, body);
  return 200;
}
