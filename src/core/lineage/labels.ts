import * as path from 'node:path';
import type { LineageNode } from '../store/types';
import { formatCount, shortHash } from '../util/format';

/** How a lineage node is named in the CLI's listing and on the panel's graph. */
export interface LineageLabel {
  /** The node's name: a component, an artifact's type, `taxi@2`. */
  title: string;
  /** One short line under it: the run and status, the artifact's file, the version's aliases. */
  caption: string;
  /** Longer facts for a tooltip or the listing's detail column. */
  detail: string[];
}

export function lineageLabel(node: LineageNode, displayPath: (uri: string) => string): LineageLabel {
  switch (node.kind) {
    case 'execution': {
      const e = node.execution;
      const reused = node.reusedFrom ? `reused run #${node.reusedFrom.runId}` : e.status === 'cached' ? 'reused (its run was deleted)' : e.status;
      return {
        title: e.component,
        caption: `run #${e.runId} · ${reused}`,
        detail: [`execution #${e.id} (${e.type})`, ...(e.error ? [e.error.split('\n')[0]] : [])],
      };
    }
    case 'artifact': {
      const a = node.artifact;
      return {
        title: a.type,
        caption: `#${a.id} ${path.basename(a.uri) || a.uri}`,
        detail: [displayPath(a.uri), `${shortHash(a.contentHash)}${a.state === 'live' ? '' : ` · ${a.state}`}`],
      };
    }
    case 'modelVersion': {
      const v = node.version;
      const verdict = v.blessed === null ? 'not evaluated' : v.blessed ? 'blessed' : 'not blessed';
      return {
        title: `${v.model}@${v.version}`,
        caption: [...v.aliases, verdict].join(' · '),
        detail: [v.runId === null ? 'its run was deleted' : `trained by run #${v.runId}`, ...(v.pushedTo ? [`pushed to ${displayPath(v.pushedTo)}`] : [])],
      };
    }
    case 'monitoring': {
      const m = node.monitoring;
      return {
        title: `served ${m.model}@${m.version}`,
        caption: `${formatCount(m.windows)} window${m.windows === 1 ? '' : 's'} · ${formatCount(m.alerts)} alert${m.alerts === 1 ? '' : 's'}`,
        detail: [
          ...m.latestAlerts.map((a) => `${a.kind}: ${a.message}`),
          ...(m.retrainRunIds.length ? [`retrained by run ${m.retrainRunIds.map((id) => `#${id}`).join(', ')}`] : []),
        ],
      };
    }
  }
}
