// Autosave of the editor: one draft per student and exercise, so closing the tab loses nothing.
import { MAX_CODE_REQUEST_BYTES } from "@/lib/limits";
import { saveDraft } from "@/lib/submissions";
import { route } from "@/app/api/_lib/route-wrapper";

const save = route({ access: "STUDENT", body: "json", maxBytes: MAX_CODE_REQUEST_BYTES }, ({ access, params, body }) =>
  saveDraft(access!.user.id, params.courseId, params.slug, body),
);

export const PUT = save;
// navigator.sendBeacon (when the tab closes) can only POST.
export const POST = save;
