import { getItem, loadCodeFiles, type CodeExerciseFiles, type ItemOf } from "@/lib/content";

export async function exercise(slug: string): Promise<{ item: ItemOf<"code">; files: CodeExerciseFiles }> {
  const item = await getItem(slug);
  if (!item || item.kind !== "code") throw new Error(`${slug} is not a code exercise`);
  return { item, files: await loadCodeFiles(item) };
}

export const SLUGS = ["activations", "deep-chain-scalar", "three-neuron-network", "linear-layer", "softmax-cross-entropy", "mlp-backprop"];
