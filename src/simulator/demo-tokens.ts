/**
 * The demo tokens, alone in a module with no imports so the browser demo (demo/) can use them too.
 * DEMO ONLY: they open the embedded simulator and nothing else.
 */

/**
 * The demo users' subjects. The simulator grants by user, as CXone does (a user's roles decide what
 * their token may do); any other user has every permission.
 */
export const DEMO_SUBJECTS = Object.freeze({
  full: 'user:demo-full',
  noAnalytics: 'user:demo-no-analytics',
  noPlayback: 'user:demo-no-playback',
} as const);

/**
 * Long-lived demo tokens (valid until 2100): RS256 JWTs for the DEMO_SUBJECTS, tenant
 * `sim-tenant-0001`, signed by the simulator's published DEMO key (keys.ts), so they verify like a
 * CXone token on every machine and port. DEMO ONLY: they open the simulator, nothing else.
 * Regenerate with `npm run demo-tokens -- --sign` after changing the key or the claims.
 */
export const DEMO_TOKENS = Object.freeze({
  full: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InNpbS1kZW1vLWtleS0yMDI2In0.eyJpc3MiOiJodHRwczovL2N4b25lLXNpbXVsYXRvci5pbnZhbGlkIiwic3ViIjoidXNlcjpkZW1vLWZ1bGwiLCJ0ZW5hbnRJZCI6InNpbS10ZW5hbnQtMDAwMSIsIm5hbWUiOiJEZW1vIGZ1bGwiLCJpYXQiOjE3MDQwNjcyMDAsImV4cCI6NDEwMjQ0NDgwMH0.pv164JjugOEeXVJmDDgupwgv_RsLFSh4c6B0q7p8KAJ8sK2Ao9cHwrUrJWYjEe2Rzvjh8KUvtrY8jMMscK6FTzMuPdiTLPWKmF1VwbUdevwTXJknoh3ejvD3HxKDM4ehxlJ1CVtlzbXBZ2S153cwnMRPdtPSqhCd8rGphQl3AZ7adIIxSoakuVuylG6QE4hyxDqVByQaxsScDiB9gmjI2W99cyAmUtcvK84wQSCtg3O1BB_Nd2rex7Uo89nfCeMKfuKZkIYhSmvLe-NIiw0QytKimDPEjtJtm22nra63burIwLkn3pt9bke3xbtWEaV6FlvWHmyjuYlzQwhUyStKjw',
  noAnalytics: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InNpbS1kZW1vLWtleS0yMDI2In0.eyJpc3MiOiJodHRwczovL2N4b25lLXNpbXVsYXRvci5pbnZhbGlkIiwic3ViIjoidXNlcjpkZW1vLW5vLWFuYWx5dGljcyIsInRlbmFudElkIjoic2ltLXRlbmFudC0wMDAxIiwibmFtZSI6IkRlbW8gbm8tYW5hbHl0aWNzIiwiaWF0IjoxNzA0MDY3MjAwLCJleHAiOjQxMDI0NDQ4MDB9.QhgP1EFqKO_-XKsOFc6EH8ea1G1MpEvjVXECw5yVzAGRKT6Pxyya9K00DhSf-dwm7hurky3YEzwcA9wlWc1rvKpwuDSOI88Ihtxc4FjU0-Xtg4-_AuwrI0IZmbfLfoUxr4x7SrjZvRRwir0MtXIsDiAQbhaS5VO65hNn4uYnqyG_eOYEAKfB1RXdOpA2iew9S7AOp0kwK-s3d5okF0jTEsyUkRKiRbmzF7Q7KkvfWLgf5aQ3rgciFRspBNNDwziJhObAASQFF4HTlrxs92uGJVl6NPbpyGVrOGrKteHQaihB9QFdv3WMV5ftOh7_OJte2qf44ZUS3GBE_j4w6CHxUQ',
  noPlayback: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InNpbS1kZW1vLWtleS0yMDI2In0.eyJpc3MiOiJodHRwczovL2N4b25lLXNpbXVsYXRvci5pbnZhbGlkIiwic3ViIjoidXNlcjpkZW1vLW5vLXBsYXliYWNrIiwidGVuYW50SWQiOiJzaW0tdGVuYW50LTAwMDEiLCJuYW1lIjoiRGVtbyBuby1wbGF5YmFjayIsImlhdCI6MTcwNDA2NzIwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.qNi9j9sdeqB8cUmPV2Py8kU5dMtfE4A3eC3G1XrfYnj25m3IwJQiJiQwUCn45xUM-xV-lK6rWSISfNXN4TtgAUMHVCGK2yOqLPcEcZe8b6HWoSmeUPl3hWtNaQnF3IuI-lPR4BGBYtHANGNolBzfVXNLugVpF0acs14XpS-2xBjH8zAFUBB_QdaLzlMP0Slb_6ANPumdV8bEpzap80DYECMAAHrSumfwmKpxiFi89SLmERl2WbptxujivHAC-njLC0CJcC7D1lGiR0CX8lMuvCsuaTqkguCt0lRrnQhRd-kPyC4Rtai8yMIXkl6OfGXUW0OoVfSSYk4qYvwJmk7Rag',
} as const);
