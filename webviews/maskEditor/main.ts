// The mask editor webview: the image with its regions, the tools that draw them, the region list
// and the model's description of the designated region.  Edits are proposed to the host, which
// owns the document; the local model follows the host's edit events (so VS Code's Undo and Redo
// and the webview always agree).  This file puts the page's parts together.
import './style.css';
import { channel, onHostEvent } from './hostChannel';
import { handleHostEvent, load } from './hostEvents';
import { drawHelp, listenToKeys } from './keymap';
import { buildRegionPanel } from './regionPanel';
import { ui } from './settings';
import { listenToStage } from './stage';
import { buildToolbar, setTool } from './toolbar';

buildToolbar();
buildRegionPanel();
drawHelp();
listenToStage();
listenToKeys();
onHostEvent(handleHostEvent);
setTool(ui.tool);
void channel.request('ready').then(load);
