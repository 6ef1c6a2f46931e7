// What a loaded SavedModel may run. Loading runs the graph's restore and init ops and its
// signatures run their subgraphs, so before TF's loader sees a SavedModel we read its graph and
// refuse ops that reach outside the process's tensors (files, subprocess-like Python callbacks,
// summary writers, dataset readers) when the load or a signature can reach them. Ops only the
// saver's save path uses (SaveV2 in every SavedModel) are never run by tf-napi, so they pass.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataLossError, PermissionDeniedError } from '../errors';
import { decodeGraphDef, decodeSavedModel, MetaGraphDefObject, NodeDefObject } from '../proto';

/** Op types refused unless listed in `allowOps`: they read, write or list files, call back into a host language, or write summaries. */
export const DENIED_OPS: ReadonlySet<string> = new Set([
  // Files
  'ReadFile',
  'WriteFile',
  'MatchingFiles',
  'Save',
  'SaveSlices',
  'SaveV2',
  'MergeV2Checkpoints',
  'Restore',
  'RestoreV2',
  'RestoreSlice',
  'WholeFileReader',
  'WholeFileReaderV2',
  'TextLineReader',
  'TextLineReaderV2',
  'TFRecordReader',
  'TFRecordReaderV2',
  'FixedLengthRecordReader',
  'FixedLengthRecordReaderV2',
  'LMDBReader',
  'TextLineDataset',
  'TFRecordDataset',
  'TFRecordDatasetV2',
  'FixedLengthRecordDataset',
  'FixedLengthRecordDatasetV2',
  'CSVDataset',
  'CSVDatasetV2',
  'ExperimentalCSVDataset',
  'LMDBDataset',
  'ExperimentalLMDBDataset',
  'SqlDataset',
  'ExperimentalSqlDataset',
  'MatchingFilesDataset',
  'ExperimentalMatchingFilesDataset',
  'SaveDataset',
  'SaveDatasetV2',
  'LoadDataset',
  'DatasetToTFRecord',
  'ExperimentalDatasetToTFRecord',
  'SnapshotDataset',
  'SnapshotDatasetV2',
  'CacheDataset',
  'CacheDatasetV2',
  'InitializeTableFromTextFile',
  'InitializeTableFromTextFileV2',
  'ImmutableConst',
  'DecodeProtoV2',
  // Host-language callbacks
  'PyFunc',
  'PyFuncStateless',
  'EagerPyFunc',
  // Summary writers
  'CreateSummaryFileWriter',
  'CreateSummaryDbWriter',
  'SummaryWriter',
  'WriteSummary',
  'WriteRawProtoSummary',
  'WriteScalarSummary',
  'WriteHistogramSummary',
  'WriteImageSummary',
  'WriteAudioSummary',
  'WriteGraphSummary',
  'ImportEvent',
  'FlushSummaryWriter',
  'CloseSummaryWriter',
  // Printing to the process's streams or files
  'PrintV2',
  // Distributed runtime endpoints
  'CollectiveReduce',
  'CollectiveReduceV2',
  'CollectiveGather',
  'CollectiveGatherV2',
  'CollectiveBcastSend',
  'CollectiveBcastRecv',
  'CollectiveBcastSendV2',
  'CollectiveBcastRecvV2',
  '_Send',
  '_Recv',
  '_HostSend',
  '_HostRecv',
]);

/** Ops the loader itself runs to restore the SavedModel's own variables from its own directory. */
const RESTORE_OPS: ReadonlySet<string> = new Set(['RestoreV2']);

function nodeName(input: string): string {
  const name = input.startsWith('^') ? input.slice(1) : input;
  const colon = name.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(name.slice(colon + 1)) ? name.slice(0, colon) : name;
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((t) => set.has(t));
}

interface Reach {
  op: string;
  /** Where the op was reached from: a signature, or the loader's restore/init. */
  from: string;
}

/** The op types the load (restore, init) and each signature can run, with where each was first reached from. */
function reachableOps(metaGraph: MetaGraphDefObject): { reached: Reach[]; restoreOps: Set<string> } {
  const graph = decodeGraphDef(metaGraph.graphDef);
  const nodes = new Map(graph.node.map((n) => [n.name, n]));
  const reached: Reach[] = [];
  const seenFunctions = new Set<string>();
  const restoreOps = new Set<string>();

  function visitFunction(name: string, from: string, restoring: boolean): void {
    if (seenFunctions.has(name)) return;
    seenFunctions.add(name);
    for (const node of graph.functions.get(name) ?? []) visitNode(node, from, restoring);
  }
  function visitNode(node: NodeDefObject, from: string, restoring: boolean): void {
    reached.push({ op: node.op, from });
    if (restoring && RESTORE_OPS.has(node.op)) restoreOps.add(`${from}:${node.name}`);
    for (const f of node.calls) visitFunction(f, from, restoring);
  }
  function walk(roots: readonly string[], from: string, restoring: boolean): void {
    const seen = new Set<string>();
    const pending = roots.map(nodeName);
    while (pending.length > 0) {
      const name = pending.pop() as string;
      if (seen.has(name)) continue;
      seen.add(name);
      const node = nodes.get(name);
      if (node === undefined) continue;
      visitNode(node, from, restoring);
      pending.push(...node.input.map(nodeName));
    }
  }

  const saver = metaGraph.saverDef;
  if (saver?.restoreOpName) walk([saver.restoreOpName], 'the variable restore', true);
  for (const key of ['saved_model_main_op', 'legacy_init_op']) {
    walk(metaGraph.collectionDef[key]?.nodeList?.value ?? [], 'the init op', false);
  }
  for (const [name, signature] of Object.entries(metaGraph.signatureDef)) {
    const outputs = Object.values(signature.outputs).map((o) => o.name);
    walk(outputs, name.startsWith('__') ? 'the init op' : `signature '${name}'`, false);
  }
  return { reached, restoreOps };
}

export interface GraphPolicy {
  /** Op types to allow although they are in DENIED_OPS. */
  allowOps?: readonly string[];
}

/**
 * Reads `exportDir`'s saved_model.pb and refuses it (PermissionDeniedError) when its load or one of
 * its signatures can run a denied op not in `allowOps`.
 */
export function checkSavedModelOps(exportDir: string, tags: readonly string[], policy: GraphPolicy): void {
  const file = path.join(exportDir, 'saved_model.pb');
  if (!fs.existsSync(file)) {
    if (fs.existsSync(path.join(exportDir, 'saved_model.pbtxt'))) {
      throw new PermissionDeniedError(
        `'${exportDir}' holds a text SavedModel (saved_model.pbtxt), whose graph tf-napi cannot check; convert it to saved_model.pb`,
      );
    }
    return; // TF's loader reports the missing file with its own error.
  }
  let metaGraphs: MetaGraphDefObject[];
  try {
    metaGraphs = decodeSavedModel(fs.readFileSync(file));
  } catch (e) {
    throw new DataLossError(`'${file}' is not a valid SavedModel: ${(e as Error).message}`);
  }
  const metaGraph = metaGraphs.find((m) => sameTags(m.metaInfoDef?.tags ?? [], tags));
  if (metaGraph === undefined) return; // TF's loader reports the missing tags.
  const allowed = new Set(policy.allowOps ?? []);
  let reached: Reach[];
  try {
    reached = reachableOps(metaGraph).reached;
  } catch (e) {
    throw new DataLossError(`'${file}' holds a graph that cannot be read: ${(e as Error).message}`);
  }
  const denied = reached.find(
    (r) => DENIED_OPS.has(r.op) && !allowed.has(r.op) && !(RESTORE_OPS.has(r.op) && r.from === 'the variable restore'),
  );
  if (denied !== undefined) {
    throw new PermissionDeniedError(
      `The SavedModel at '${exportDir}' can run op '${denied.op}' from ${denied.from}, which reaches outside the model ` +
        `(files, host callbacks, summaries or the network). Load it only if you trust it, with allowOps: ['${denied.op}'].`,
    );
  }
}
