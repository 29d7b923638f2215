import { modelComponent } from '../../pipeline/components';
import type { PushConfig } from '../../pipeline/config';
import type { Executor, ExecutorResult } from '../executor';
import { upstreamArtifact } from './upstream';

/**
 * TFX Pusher: the blessed model becomes a version in the registry, is copied to
 * `<destination>/<version>/` (temporary name, then a rename) and gets the alias. Evaluate's gate
 * stops the run before this component when the model is not blessed.
 */
export function pushExecutor(settings: PushConfig): Executor {
  // Never reused, so no fingerprint: a push changes the registry and the serving folder, which a cache cannot replay.
  return {
    async run(ctx): Promise<ExecutorResult> {
      const model = upstreamArtifact(ctx, modelComponent(ctx.config), 'model');
      const blessing = upstreamArtifact(ctx, 'evaluate', 'blessing');
      const evaluation = upstreamArtifact(ctx, 'evaluate', 'evaluation');
      const metrics = Object.fromEntries(
        Object.entries((evaluation.properties.overall ?? {}) as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number'),
      );
      const outcome = await ctx.registry.push({
        target: {
          kind: 'new',
          version: {
            model: settings.model,
            runId: ctx.runId,
            uri: model.uri,
            weightsHash: String(model.properties.weightsHash ?? ''),
            task: String(model.properties.task ?? ''),
            blessed: blessing.properties.blessed === true,
            evaluationUri: evaluation.uri,
            metrics,
          },
        },
        alias: settings.alias,
        destination: settings.destination,
        force: false,
        reason: `pushed by run #${ctx.runId}`,
        respectRollbacks: true,
      });
      const { version, previous, pushedTo, heldBy } = outcome;
      if (heldBy) {
        const why = `${version.model}@${version.version} was rolled back from ${settings.alias} at ${new Date(heldBy.at).toISOString()} (${heldBy.reason})`;
        ctx.log(`${why}: ${settings.alias} stays at version ${previous}; \`mlops push ${version.model}@${version.version}\` moves it by hand`);
        return {
          outputs: [],
          params: { model: version.model, version: String(version.version), alias: settings.alias, held: 'rolled back' },
          summary: `${version.model}@${version.version} not moved to ${settings.alias}: rolled back before · ${settings.alias} stays v${previous}`,
        };
      }
      const was = previous === null ? 'first' : previous === version.version ? 'unchanged' : `was ${previous}`;
      return {
        outputs: [
          {
            name: 'pushed_model',
            type: 'PushedModel',
            path: pushedTo,
            managed: false,
            properties: { model: version.model, version: version.version, alias: settings.alias, destination: pushedTo, previous },
          },
        ],
        params: { model: version.model, version: String(version.version), alias: settings.alias },
        summary: `${version.model}@${version.version} → ${settings.alias} (${was}) · ${pushedTo}`,
      };
    },
  };
}
