/** The three elements, validated and normalised (docs/contract.md §1). Personal data: never log it. */
export type Identity = {
  /** 18 characters, check character upper-case `X`. */
  readonly idCard: string;
  /** Normalised: `·` for every middle-dot variant, single spaces. */
  readonly userName: string;
  /** 11 digits, `^1[3-9]\d{9}$`. */
  readonly loginphone: string;
};
