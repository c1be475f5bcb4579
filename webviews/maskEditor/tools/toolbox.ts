// The drawing tools, each with its key and its name (the toolbar's buttons and the keymap read this).
export type Tool = 'select' | 'brush' | 'eraser' | 'polygon' | 'fill' | 'wand';

export const TOOLS: { tool: Tool; key: string; title: string }[] = [
  { tool: 'select', key: 'v', title: 'Select' },
  { tool: 'brush', key: 'b', title: 'Brush' },
  { tool: 'eraser', key: 'e', title: 'Eraser' },
  { tool: 'polygon', key: 'p', title: 'Polygon' },
  { tool: 'fill', key: 'f', title: 'Fill' },
  { tool: 'wand', key: 'w', title: 'Magic wand' },
];
