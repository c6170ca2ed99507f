// Kept for old links and scripts: the gradebook CSV (plain unless ?format= says canvas or moodle).
export { GET } from "../gradebook.csv/route";

export const dynamic = "force-dynamic";
