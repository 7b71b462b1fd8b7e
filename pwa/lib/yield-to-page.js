// Long work in the page (the replica's search text, the words to hide) runs
// in slices; awaiting this between two slices lets the page paint and answer
// input before the next one.
export const yieldToPage = () => new Promise((resolve) => setTimeout(resolve, 0));
