import type { Metadata, Viewport } from "next";
import { currentUser } from "@/lib/auth";
import { SiteHeader } from "./_components/SiteHeader";
import "katex/dist/katex.min.css";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Lectern", template: "%s · Lectern" },
  description: "Live polls and graded backpropagation exercises for a neural-networks course.",
};
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en">
      <body>
        <SiteHeader userName={user?.name ?? null} />
        {children}
      </body>
    </html>
  );
}
