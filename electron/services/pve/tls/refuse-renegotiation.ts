import { constants } from 'node:crypto';

/**
 * TLS options of every connection to PVE: no renegotiation. The certificate
 * is checked once, after the first handshake (the pin by connectPinned, the
 * host name by Node for connectVerified). TLS 1.3 has no renegotiation, but
 * PVE may speak TLS 1.2, where OpenSSL's client by default answers a
 * server's HelloRequest with a second full handshake, and Node's client
 * accepts it: the server could present another certificate there, which
 * nothing would compare with the pin (Node only limits renegotiations that
 * clients start, on its servers). With this flag OpenSSL refuses: the server
 * gets a no_renegotiation alert, PVE's never asks for one, and one that does
 * loses the connection instead of swapping the certificate under it.
 */
export const refuseRenegotiation = { secureOptions: constants.SSL_OP_NO_RENEGOTIATION } as const;
