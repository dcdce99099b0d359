/** Opens the database (migrations, demo data on an empty database) when the server boots. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getDatabase } = await import("./db/server");
  try {
    await getDatabase();
  } catch (e) {
    console.error(`pairsift: could not open the database: ${e instanceof Error ? e.message : e}`);
  }
}
