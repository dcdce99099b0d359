import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RecordReview } from "@/components/review/record-review";
import { getRecordForReview } from "@/db/queries/review";
import { viewNeighbours } from "@/db/queries/table";
import { getDatabase } from "@/db/server";
import { datasetIdParam, recordIdParam } from "@/lib/ids";
import { parseRecordView, viewToSearchParams } from "@/lib/review/filter";
import { pageAccess } from "@/lib/server/auth";
import { decideAction } from "./actions";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ id: string; recordId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { recordId } = await props.params;
  return { title: `Record ${recordId}` };
}

export default async function RecordPage(props: Props) {
  const params = await props.params;
  const datasetId = datasetIdParam.safeParse(params.id);
  const recordId = recordIdParam.safeParse(params.recordId);
  if (!datasetId.success || !recordId.success) notFound();
  const access = await pageAccess(
    datasetId.data,
    "read",
    `/datasets/${datasetId.data}/records/${recordId.data}`,
  );
  const database = await getDatabase();
  const view = await getRecordForReview(database, datasetId.data, recordId.data);
  if (!view) notFound();
  // Opened from a filtered or sorted table: previous / next follow that view, and links keep it.
  const { view: tableView } = parseRecordView(await props.searchParams);
  const navQuery = viewToSearchParams(tableView).toString();
  if (navQuery) view.nav = await viewNeighbours(database, datasetId.data, tableView, recordId.data);
  return (
    <RecordReview view={view} decide={decideAction} navQuery={navQuery} readOnly={access.role === "viewer"} />
  );
}
