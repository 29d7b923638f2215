import type { RunStore } from '../store';
import type { ArtifactRecord, EventRole } from '../store/types';
import { digestPath } from '../util/hash';

/**
 * A file or folder that stays where it is (input data, what a script logged), recorded with its
 * content hash and linked to the execution that read or made it.
 */
export async function recordFileArtifact(
  store: RunStore,
  executionId: number,
  role: EventRole,
  file: { name: string; type: string; path: string; properties?: Record<string, unknown> },
): Promise<ArtifactRecord> {
  const digest = await digestPath(file.path);
  const artifact = store.createArtifact({ type: file.type, uri: file.path, properties: file.properties ?? {} });
  const live = store.publishArtifact(artifact.id, { contentHash: digest.hash, sizeBytes: digest.sizeBytes });
  store.linkArtifact(executionId, artifact.id, role, file.name);
  return live;
}
