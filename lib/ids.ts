import { z } from "zod";

/** A data set id from a URL or form (a PostgreSQL `serial`). */
export const datasetIdParam = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);

/** A record or decision id from a URL (a `bigserial`, within JavaScript's exact integers). */
export const recordIdParam = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 53 - 1);
