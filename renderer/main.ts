import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './i18n';
import { createHostIpc } from './platform/ipc';
import { ipcPlugin } from './platform/use-ipc';
import { createAppRouter } from './router';
import './shell/base.css';

// The IPC client first: it takes the launch token out of the fragment before the router starts.
const ipc = createHostIpc();
createApp(App).use(ipcPlugin(ipc)).use(createPinia()).use(createAppRouter()).use(i18n).mount('#app');
