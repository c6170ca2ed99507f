// Signed-out visitors of course pages go to sign-in first. Access to each course is still decided by the
// guard in lib/auth on every page, action and route handler; this only spares them a round trip.
import { withAuth } from "next-auth/middleware";

export default withAuth({ pages: { signIn: "/sign-in" } });

export const config = { matcher: ["/courses/:path*"] };
