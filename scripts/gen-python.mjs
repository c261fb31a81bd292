// Placeholder until the Python SDK generator lands: generates nothing.
export function generatePython() {
  return [];
}
