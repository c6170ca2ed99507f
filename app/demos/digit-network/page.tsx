import type { Metadata } from "next";
import Link from "next/link";
import { DigitNetworkDemo } from "@/app/_components/digit-network/DigitNetworkDemo";

export const metadata: Metadata = { title: "The digit network" };

// Its own route, so nothing of it reaches the poll page: the network code and its 270 KB of weights load here only.
export default function DigitNetworkPage() {
  return (
    <main className="page wide">
      <p className="small muted">
        <Link href="/">Lectern</Link>
      </p>
      <h1>A network that reads hand-written digits</h1>
      <p className="muted">
        784 pixels → 300 → 100 → 10 ReLU neurons, trained by Lectern&apos;s own engine on 8,500 MNIST digits (96.8 % right on 1,500 it never saw). Draw a
        digit or pick a test digit and follow the forward pass; tap a square to see the weights into that neuron.
      </p>
      <DigitNetworkDemo />
    </main>
  );
}
