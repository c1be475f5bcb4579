// How a node of a view is drawn, as the views' pure models say it; treeProvider.ts maps it onto a
// tree item one to one.
export interface NodePresentation {
  /** Absent: VS Code tells the node by its label and place. */
  id?: string;
  label: string;
  description?: string;
  tooltip: string;
  /** Whether the node has children to show (absent: it has none). */
  collapsible?: boolean;
  /** Used by menus (`viewItem == …`). */
  contextValue: string;
  /** A codicon name. */
  icon: string;
}
