// Hand-written: the generated functions and hooks of the fixture's upload
// functions, called as an app calls them; `@ts-expect-error` marks what
// must not compile.
import { addPhotos, setAvatar, setCover, type SetAvatarInput } from "./generated/index.js";
import { useAddPhotos, useSetAvatar } from "./generated/react.js";

export async function uploads(file: File, blob: Blob): Promise<void> {
  const url: string = await setAvatar({ caption: "me", file });
  void url;
  const seen: number[] = [];
  await setAvatar({ caption: "me", file: blob }, { onUploadProgress: (p) => seen.push(p.loaded, p.total ?? 0) });
  await setAvatar({ caption: "me", file }, { signal: new AbortController().signal });
  // The optional file may be left out; the list takes several.
  const had: boolean = await setCover({});
  void had;
  await setCover({ cover: file });
  const count: number = await addPhotos({ name: "trip", photos: [file, blob] });
  void count;
  // @ts-expect-error a file is a File or Blob, not its name
  await setAvatar({ caption: "me", file: "avatar.png" });
  // @ts-expect-error the file is required
  await setAvatar({ caption: "me" });
  // @ts-expect-error a list takes an array of files
  await addPhotos({ name: "trip", photos: file });
  // @ts-expect-error progress is reported as { loaded, total }, not a number
  await setAvatar({ caption: "me", file }, { onUploadProgress: (p: number) => p });
  const input: SetAvatarInput = { caption: "c", file };
  void input;
}

export function UploadHooks(): null {
  const avatar = useSetAvatar({ onUploadProgress: ({ loaded, total }) => void [loaded, total] });
  avatar.mutate({ caption: "c", file: new File(["x"], "x.png", { type: "image/png" }) });
  // @ts-expect-error the hook's mutation takes a File too, not a string
  avatar.mutate({ caption: "c", file: "x.png" });
  useAddPhotos().mutate({ name: "n", photos: [] });
  return null;
}
