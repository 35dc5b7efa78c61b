import { describe, expect, it } from "vitest";
import { configure, createClient, getClient, queryKey, setClient } from "../src/index";

describe("default client", () => {
  it("creates a default client lazily, with the default base URL", () => {
    const c = getClient();
    expect(c.baseUrl).toBe("/api/mizan");
    expect(getClient()).toBe(c);
  });

  it("setClient replaces it", () => {
    const mine = createClient({ baseUrl: "/x" });
    setClient(mine);
    expect(getClient()).toBe(mine);
  });

  it("configure replaces it with a new client and returns that", () => {
    const before = getClient();
    const made = configure({ baseUrl: "https://api.example.com/api/mizan/" });
    expect(made).not.toBe(before);
    expect(getClient()).toBe(made);
    expect(made.baseUrl).toBe("https://api.example.com/api/mizan");
  });
});

describe("queryKey", () => {
  it("is [\"mizan\", name, args] with {} for missing args", () => {
    expect(queryKey("list_posts", { page: 2 })).toEqual(["mizan", "list_posts", { page: 2 }]);
    expect(queryKey("list_posts", undefined)).toEqual(["mizan", "list_posts", {}]);
    expect(queryKey("list_posts", null)).toEqual(["mizan", "list_posts", {}]);
    expect(queryKey("list_posts")).toEqual(["mizan", "list_posts", {}]);
  });
});
