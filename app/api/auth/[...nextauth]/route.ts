// next-auth's own endpoints (sign-in, sign-out, its CSRF token), behind the same wrapper as every route: its
// double-submit CSRF token stays, and the Origin check comes first.
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth";
import { route } from "@/app/api/_lib/route-wrapper";

const nextAuth = NextAuth(authOptions);
const handler = route({ access: "public", body: "raw" }, ({ request, context }) => nextAuth(request, context));

export { handler as GET, handler as POST };
