/**
 * Sealed credentials: the library's credential classes are registered here, and only an instance
 * of one of them, built by its own factory, is recorded as minted. Internal module (not exported
 * from the package): a hand-made object with a credential's fields or brand, a
 * `Object.create(ClientSecret.prototype)`, a Proxy of a real credential or an instance of a
 * subclass written outside the library is never in the registry.
 */

/** The library's concrete credential classes. */
const LIBRARY_CLASSES = new WeakSet<object>();
/** Every credential a library factory made. */
const MINTED = new WeakSet<object>();

/** Registers one of the library's own credential classes (called once, by its module). */
export function registerCredentialClass(cls: object): void {
  LIBRARY_CLASSES.add(cls);
}

/** Records `credential` as minted when `newTarget` (its class) is one of the library's. */
export function recordCredential(credential: object, newTarget: unknown): void {
  if (typeof newTarget === "function" && LIBRARY_CLASSES.has(newTarget)) MINTED.add(credential);
}

/** True when the library made `x`. */
export function isMintedCredential(x: unknown): boolean {
  return typeof x === "object" && x !== null && MINTED.has(x);
}

/** The library's concrete secret delivery classes. */
const DELIVERY_CLASSES = new WeakSet<object>();
/** Every secret delivery the library made. */
const DELIVERIES = new WeakSet<object>();

/** Registers one of the library's own secret delivery classes (called once, by its module). */
export function registerDeliveryClass(cls: object): void {
  DELIVERY_CLASSES.add(cls);
}

/** Records `delivery` as minted when `newTarget` (its class) is one of the library's. */
export function recordDelivery(delivery: object, newTarget: unknown): void {
  if (typeof newTarget === "function" && DELIVERY_CLASSES.has(newTarget)) DELIVERIES.add(delivery);
}

/** True when the library made the secret delivery `x`. */
export function isMintedDelivery(x: unknown): boolean {
  return typeof x === "object" && x !== null && DELIVERIES.has(x);
}
