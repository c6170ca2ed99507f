import { describe, expect, it } from "vitest";
import { publicAddress } from "@/lib/server/public-address";

describe("the address students are shown", () => {
  it("on loopback is localhost, and says phones cannot reach it", () => {
    expect(publicAddress({ host: "127.0.0.1", port: 3000 })).toEqual({ url: "http://localhost:3000", reachableFromRoom: false });
    expect(publicAddress({ host: "localhost", port: 8080 }).reachableFromRoom).toBe(false);
  });
  it("on every interface is the machine's LAN address", () => {
    expect(publicAddress({ host: "0.0.0.0", port: 3000, lan: "192.168.1.23" })).toEqual({ url: "http://192.168.1.23:3000", reachableFromRoom: true });
  });
  it("on one interface is that interface", () => {
    expect(publicAddress({ host: "10.0.0.7", port: 3000 }).url).toBe("http://10.0.0.7:3000");
  });
  it("is NEXTAUTH_URL when it is set, without a trailing slash", () => {
    expect(publicAddress({ host: "0.0.0.0", port: 3000, configured: "https://lectern.example.edu/", lan: "10.1.1.1" })).toEqual({
      url: "https://lectern.example.edu",
      reachableFromRoom: true,
    });
  });
});
