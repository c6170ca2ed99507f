import { describe, expect, test } from "vitest";
import { median } from "@/lib/polls/tally";

describe("the median of the answers", () => {
  test("of an odd count is the middle answer", () => {
    expect(median([3])).toBe(3);
    expect(median([1, 4, 9])).toBe(4);
  });
  test("of an even count is the mean of the middle two", () => {
    expect(median([4, 7])).toBe(5.5);
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(median([-3, -1])).toBe(-2);
  });
});
