/** What the bench's byte pump and its clients agree on. */

/** What one bulk run moves: 1 GiB, as the benchmark says. */
export const pumpBytes = 1024 * 1024 * 1024;

/** A client's first byte: `B` asks for the bulk transfer, `P` for an echo of every later byte. */
export const pumpModes = { bulk: 0x42, echo: 0x50 } as const;

/** Size of one ping, small as a key press or a pointer event is. */
export const pingBytes = 8;
