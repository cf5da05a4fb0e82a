/** Anchors shared by the anchor, elapsed and procedure operator tests. */
export const ANCHORS = `anchors:
  consent: { attestation: informed-consent }
  leukapheresis: { procedure: leukapheresis }
  first-dose: { given: true }
  rtx-last: { medication: rituximab }
  rtx-first: { medication: rituximab, occurrence: first }
  sle-onset: { condition: sle }
`;
export const consent = (date: string) => ({ attestations: [{ code: 'informed-consent', date }] });
