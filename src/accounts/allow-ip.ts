// Per-account IP allowlists (docs/contract.md §4): the caller's address as Cloudflare reports it in
// CF-Connecting-IP, matched against the account's CIDRs. Pure: parsing and matching only.

export const CLIENT_IP_HEADER = "CF-Connecting-IP";
/** The refusal's errorReason (305): never which addresses are allowed. */
export const IP_NOT_ALLOWED = "请求来源IP不在本账户允许的范围内：请从已登记的服务器调用，或联系运营方";

/** How many networks one account may list. */
export const MAX_ALLOWED_NETWORKS = 64;

type Network = { readonly bytes: Uint8Array; readonly prefix: number };

/** A CIDR (`203.0.113.0/24`, `2001:db8::/32`; a bare address is /32 or /128), or null. */
export function parseCidr(text: string): Network | null {
  const [address, prefixText, extra] = text.trim().split("/");
  if (address === undefined || extra !== undefined) return null;
  const bytes = parseIp(address);
  if (bytes === null) return null;
  const max = bytes.length * 8;
  if (prefixText === undefined) return { bytes, prefix: max };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return null;
  return { bytes, prefix: Number(prefixText) };
}

/** Whether `ip` (null when the header is absent) is inside one of the networks; `null` networks allow all. */
export function ipAllowed(allowIps: readonly string[] | null, ip: string | null): boolean {
  if (allowIps === null) return true;
  const bytes = ip === null ? null : parseIp(ip.trim());
  if (bytes === null) return false;
  return allowIps.some((cidr) => {
    const network = parseCidr(cidr);
    return network !== null && contains(network, bytes);
  });
}

function contains(network: Network, ip: Uint8Array): boolean {
  if (network.bytes.length !== ip.length) return false;
  const whole = network.prefix >> 3;
  for (let i = 0; i < whole; i++) if (network.bytes[i] !== ip[i]) return false;
  const rest = network.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (network.bytes[whole]! & mask) === (ip[whole]! & mask);
}

/** IPv4 dotted quad (4 bytes) or IPv6 (16 bytes; `::`, an embedded IPv4 tail; an IPv4-mapped address reads as IPv4). */
export function parseIp(text: string): Uint8Array | null {
  if (text.includes(":")) {
    const v6 = parseIpv6(text);
    // ::ffff:a.b.c.d is an IPv4 client seen over IPv6; it matches IPv4 networks.
    if (v6?.subarray(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) return v6.slice(12);
    return v6;
  }
  return parseIpv4(text);
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    // No leading zeros: "010" is octal to some parsers and decimal to others.
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return null;
    bytes[i] = Number(part);
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (half: string | undefined): number[] | null => {
    if (half === undefined || half === "") return [];
    const out: number[] = [];
    const parts = half.split(":");
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (i === parts.length - 1 && part.includes(".")) {
        const v4 = parseIpv4(part);
        if (v4 === null) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) out.push(Number.parseInt(part, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (head === null || tail === null) return null;
  if (halves.length === 1 ? head.length !== 8 : head.length + tail.length > 7) return null;
  const all = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}
