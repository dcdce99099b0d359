import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { RecordReview } from "@/components/review/record-review";
import { getRecordForReview } from "@/db/queries/review";
import { getDatabase } from "@/db/server";
import { decideAction } from "./actions";

export const dynamic = "force-dynamic";

const idSchema = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 53 - 1);

type Props = { params: Promise<{ id: string; recordId: string }> };

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { recordId } = await props.params;
  return { title: `Record ${recordId}` };
}

export default async function RecordPage(props: Props) {
  const params = await props.params;
  const datasetId = idSchema.safeParse(params.id);
  const recordId = idSchema.safeParse(params.recordId);
  if (!datasetId.success || !recordId.success || datasetId.data > 2 ** 31) notFound();
  const database = await getDatabase();
  const view = await getRecordForReview(database, datasetId.data, recordId.data);
  if (!view) notFound();
  return <RecordReview view={view} decide={decideAction} />;
}
