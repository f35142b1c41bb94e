import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './i18n';
import { createHostIpc } from './platform/ipc';
import { ipcPlugin } from './platform/use-ipc';
import { router } from './router';
import './shell/base.css';

createApp(App).use(ipcPlugin(createHostIpc())).use(createPinia()).use(router).use(i18n).mount('#app');
