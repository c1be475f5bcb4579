// @pure: the name of the file beside an object's folders that maps mask grey values to defect
// names (classIds.ts reads it).
export const CLASS_IDS_FILE = 'class_ids.json';
