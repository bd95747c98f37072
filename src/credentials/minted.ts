/**
 * Sealed credentials: the library's credential classes are registered here, and only an instance
 * of one of them, built by its own factory, is recorded as minted. Internal module (not exported
 * from the package): a hand-made object with a credential's fields or brand, a
 * `Object.create(ClientSecret.prototype)`, a Proxy of a real credential or an instance of a
 * subclass written outside the library is never in the registry.
 */

/** A registry of the library's own classes of one kind, and of the instances they made. */
function registry() {
  const classes = new WeakSet<object>();
  const minted = new WeakSet<object>();
  return {
    /** Registers one of the library's own classes (called once, by its module). */
    registerClass(cls: object): void {
      classes.add(cls);
    },
    /** Records `instance` as minted when `newTarget` (its class) is one of the library's. */
    record(instance: object, newTarget: unknown): void {
      if (typeof newTarget === "function" && classes.has(newTarget)) minted.add(instance);
    },
    /** True when the library made `x`. */
    isMinted(x: unknown): boolean {
      return typeof x === "object" && x !== null && minted.has(x);
    },
  };
}

/** Credentials: only instances of the library's credential classes, made by their factories. */
export const {
  registerClass: registerCredentialClass,
  record: recordCredential,
  isMinted: isMintedCredential,
} = registry();

/** Secret deliveries: only instances of the library's delivery classes. */
export const {
  registerClass: registerDeliveryClass,
  record: recordDelivery,
  isMinted: isMintedDelivery,
} = registry();
